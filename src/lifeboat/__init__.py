"""Lifeboat: crew rescue and lifeboat analysis for crewed space stations.

From Python, ``from lifeboat import api`` gives every service of the command line (docs/api.md);
from a shell, ``lifeboat --help`` or ``python -m lifeboat --help``.
"""

__version__ = "0.1.0"
