"""The editor: one EditorSession (Document + QUndoStack + file state), undo commands, the registry of kinds."""
