"""Who is acting: a panel user, the CLI, the bridge or a job. Recorded in the audit log and timeline."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    label: str
    user_id: int | None = None
    ip: str = ""

    @classmethod
    def system(cls, label):
        return cls(label=label)


CLI = Actor.system("cli")
BRIDGE = Actor.system("bridge")
WORKER = Actor.system("worker")
