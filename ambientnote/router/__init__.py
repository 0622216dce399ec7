"""Routing hard visits to the hospital's own LLM server: difficulty, site policy, client, de-identification,
egress guard. The one entry point is ``draft_routed`` (``ambientnote.router.route``)."""
