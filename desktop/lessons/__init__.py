"""Lessons: the lecture as playable scenarios — reader, fact checks, player, projector and compare modes."""
