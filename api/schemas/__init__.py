"""Response models of the API, one module per area: what `/openapi.json` documents for every success body.

Field names and types follow the domain serializers (`catalog/**/*_dict`, `to_dict`); a model whose shape is
open (a resource record, a report) allows extra fields, so a field the model does not name is still returned.
"""
