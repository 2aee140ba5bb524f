"""What every API view shares: one error shape, pagination, filters, ETags and conditional GET,
and the schema's common parts. ``config/settings/base.py`` names these in ``REST_FRAMEWORK``."""
