"""Panel roles: owner ⊃ agent ⊃ viewer."""
import enum

from crisisdesk.domain.texts import N_


class Role(str, enum.Enum):
    VIEWER = "viewer"
    AGENT = "agent"
    OWNER = "owner"

    @property
    def rank(self):
        return {"viewer": 1, "agent": 2, "owner": 3}[self.value]

    def includes(self, other):
        """True when this role may do what `other` may do."""
        return self.rank >= Role(other).rank


ROLE_NAMES = [r.value for r in Role]
# How the panel names each role (lower case: it is used inside sentences too).
ROLE_LABELS = {"viewer": N_("viewer"), "agent": N_("agent"), "owner": N_("owner")}
