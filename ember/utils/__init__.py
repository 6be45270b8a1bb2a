"""``ember.utils``: hooks helpers now; ``data`` and more arrive with later milestones."""
