"""PodPath's Qt desktop application, an adapter over ``core``."""
