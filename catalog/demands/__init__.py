"""供需对接: the demand register (需求清单) and the responsibility list (责任清单).

A department registers what data it needs; mulu proposes catalogue resources that cover it (by data
element, then item name, then text search); the requester turns proposals into share requests or
declares the demand unmet; the coordinator assigns unmet demands to responsible departments as duties
with a deadline in working days; a duty ends fulfilled when its department publishes a covering resource.

Modules: states (the two state tables), models (tables), needs (what a demand asks for, read against
the data-element standard), matching (proposals and coverage), events (audit entry + event row for
each transition, the conditional UPDATE), register (demands), duties (the responsibility list),
fulfilment (the after-publish check), figures (绩效评估 figures).

May import catalog.sharing (calendar, clock, deadlines, share requests), catalog.auth, catalog.audit_log,
catalog.search (service); never api/ or cli/.
"""
