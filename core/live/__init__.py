"""The live layer of the engine: runtime actions and their log, checkpoints and time travel, edits while
running. ``core.engine.Simulation`` exposes all of it; docs/live-api.md describes the API."""
