"""Why a PAR action was refused."""

from motcua.core.errors import Refused


class ParError(Refused):
    """A refused PAR action (a closed stage, a criterion of another source, points out of range)."""
