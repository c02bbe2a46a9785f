"""Commands to rigs (user side): queue, list, cancel, expire."""
