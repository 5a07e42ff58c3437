"""Dataset versions: immutable folders under extracted/, a cache, the changelog and diffs."""
