from django.db import models


class Row(models.Model):
    """A plain row: the bare SELECT reads one by pk, the bare INSERT writes one."""

    name = models.CharField(max_length=100)
    value = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
