"""Handler groups: PTB runs the first matching handler of every group, in ascending order.

Why each group exists and why the order matters: handlers/__init__.py.
"""

DEDUPE = -100
WATCH = -30
MEMBERSHIP = -21
COUNTING = -19
PRESENCE = -18
PRIVATE_STATUS = -15
REPEATS = -5
COMMANDS = 0
DM_TEXT = 10
