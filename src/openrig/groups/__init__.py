"""Groups of rigs inside a farm; a group is a config layer."""
