"""Notices that need action: tags, acknowledgements, reminders and who may see them."""
