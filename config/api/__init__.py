"""What every API view shares: one error shape, the JSON parser, pagination, throttles, ETags,
and the schema's common parts. ``config/settings/base.py`` names these in ``REST_FRAMEWORK``."""
