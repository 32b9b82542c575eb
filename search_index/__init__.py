"""Full-text search over the archive (Whoosh); derived data, rebuildable from `archive`."""
