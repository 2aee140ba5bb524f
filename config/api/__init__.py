"""What every API view shares: errors, pagination, filters, ETags, parsers, the schema's parts."""
