"""Attachment text: what each format's extractor reads, run in a child process with limits."""
