"""Draft regulations (dự thảo): their structure (`structure`, `docx_input`) and the comments
members send on them by email (`replies`, `provisions`). Pure functions over plain values."""
