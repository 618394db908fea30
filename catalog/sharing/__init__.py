"""Sharing (国发〔2016〕51号): share requests, grants, data-error feedback (校核), working-day calendar.

Modules: calendar (工作日历), deadlines (答复时限), clock, states (request state machine), models
(tables), requests, grants, feedback (the services; keyword-only functions taking a session).
"""
