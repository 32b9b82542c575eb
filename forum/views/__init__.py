"""Flask blueprints, one per thing a user does."""
