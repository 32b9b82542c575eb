"""Per-topic control: a member mutes a thread (its later messages are not mailed to them) or
follows one (mailed even in the "new topics and those I follow" mode)."""
