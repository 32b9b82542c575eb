"""The post path: rules, hold reasons, fan-out, moderation, web posts and `-request` commands."""
