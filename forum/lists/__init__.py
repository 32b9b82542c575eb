"""Lists, members, subscriptions, the roster and who may do what."""
