"""Mail as data: parsing, decoding, sanitising, threading, storage and mbox I/O."""
