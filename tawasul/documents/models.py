"""The civil-status documents window's own tables (watiqa model; SPEC.md §4, DOMAIN.md §3 and R3).

- `CivilStatusOffice`: a commune's civil-status bureau (BEC) or a consulate, served by one
  administration of the registry whose civil-status officers work its orders. Only offices
  flagged `joined` appear in the citizen's picker (DOMAIN.md §3: offices that have not joined
  "do not appear in the commune/consulate drop-down").
- `PriceItem`: the price table of R3 (base + per copy + postage by destination), edited by the
  national unit in the admin; items from memory [M] carry `to_confirm`.
- `DocumentOrder`: the order's fields, one-to-one with its `cases.Case` (the reference, the
  requester's contact, the status, the timeline are the case core's). The price is copied onto
  the order when it is placed, so a later change of the table never changes what was shown.
- `Payment`: one attempt to pay an order through the configured gateway; confirming it is
  idempotent (docs/adr/0028-document-order-price-and-payment.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tawasul.registry.models import MultilingualName

#: Copies of one document in one order: at least 1 (R3), at most this bound (a bound against
#: typing mistakes, not a rule of the domain).
MAX_COPIES = 10


class OfficeKind(models.TextChoices):
    BEC = "bec", _("Civil-status office of a commune")
    CONSULATE = "consulate", _("Consulate")


class CivilStatusOffice(MultilingualName):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OfficeKind.choices, default=OfficeKind.BEC)
    commune = models.ForeignKey(
        "registry.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune (HCP code)"),
    )
    country = models.CharField(_("country of the consulate (ISO code)"), max_length=2, blank=True)
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        related_name="civil_status_offices",
        verbose_name=_("administration whose civil-status officers work its orders"),
    )
    joined = models.BooleanField(_("joined the documents window"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name_ar", "pk"]
        verbose_name = _("civil-status office")
        verbose_name_plural = _("civil-status offices")
        indexes = [models.Index(fields=["joined", "kind"], name="documents_office_joined_idx")]


class DocType(models.TextChoices):
    BIRTH_EXTRACT = "birth_extract", _("Abridged extract of the birth record")
    BIRTH_FULL_COPY = "birth_full_copy", _("Full copy of the birth record")


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


class Relation(models.TextChoices):
    """R3 `orderer_relation`: who places the order, relative to the holder of the record."""

    SELF = "self", _("I am the holder of the record")
    PARENT = "parent", _("Parent of the holder (a minor)")
    ASCENDANT = "ascendant", _("Ascendant of the holder")
    DESCENDANT = "descendant", _("Descendant of the holder")
    SPOUSE = "spouse", _("Spouse of the holder")
    GUARDIAN = "guardian", _("Guardian or tutor of the holder")
    MANDATED = "mandated", _("Person mandated by the holder")
    # Not in R3's list: anyone else, who may order the abridged extract only (docs/adr/0027).
    OTHER = "other", _("Another person")


#: DOMAIN.md §3: the full copy is for the holder, ascendants, descendants, spouse, guardian or
#: tutor, or a person they mandated ([S] consular page; extended to every third party [M]). A
#: parent is an ascendant. Anyone else (`other`) may order the abridged extract only.
FULL_COPY_RELATIONS = frozenset(
    {
        Relation.SELF,
        Relation.PARENT,
        Relation.ASCENDANT,
        Relation.DESCENDANT,
        Relation.SPOUSE,
        Relation.GUARDIAN,
        Relation.MANDATED,
    }
)


class Destination(models.TextChoices):
    MOROCCO = "ma", _("Morocco")
    ABROAD = "abroad", _("Abroad")


class PriceItem(models.Model):
    """One line of R3's price table: `price = base + per_copy × copies + postage(destination)`."""

    class Code(models.TextChoices):
        BASE = "base", _("Base price of an order")
        PER_COPY = "per_copy", _("Price per copy")
        POSTAGE_MA = "postage_ma", _("Registered postage in Morocco")
        POSTAGE_ABROAD = "postage_abroad", _("Registered postage abroad")

    code = models.CharField(_("item"), max_length=16, choices=Code.choices, unique=True)
    amount = models.DecimalField(
        _("amount (MAD, all taxes included)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    to_confirm = models.BooleanField(
        _("to confirm"), default=False, help_text=_("The default comes from memory, not a published source.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("price item")
        verbose_name_plural = _("price table of document orders")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="documents_price_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.amount}"


#: R3's defaults (written by migration 0002 and used when a line is missing). The base: "from 20 DH
#: TTC" [S] (DOMAIN.md §3); the rest is not published: [M], shown "to confirm" in the admin.
DEFAULT_PRICES: dict[str, tuple[Decimal, bool, str]] = {
    PriceItem.Code.BASE: (Decimal("20.00"), False, "DOMAIN.md §3: from 20 DH TTC (telquel.ma, libe.ma)"),
    PriceItem.Code.PER_COPY: (Decimal("5.00"), True, "DOMAIN.md R3 [M]"),
    PriceItem.Code.POSTAGE_MA: (Decimal("0.00"), True, "DOMAIN.md R3 [M]"),
    PriceItem.Code.POSTAGE_ABROAD: (Decimal("30.00"), True, "DOMAIN.md R3 [M]"),
}


class RejectionReason(models.TextChoices):
    RECORD_NOT_FOUND = "record_not_found", _("The birth record was not found")
    DATA_MISMATCH = "data_mismatch", _("The details given do not match the record")


class DocumentOrder(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="document_order")
    office = models.ForeignKey(
        CivilStatusOffice, on_delete=models.PROTECT, related_name="orders", verbose_name=_("civil-status office")
    )
    doc_type = models.CharField(_("document"), max_length=20, choices=DocType.choices)
    copies = models.PositiveSmallIntegerField(
        _("copies"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COPIES)]
    )
    # The holder of the record.
    holder_first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100)
    holder_last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100)
    holder_first_name_latin = models.CharField(_("first name (Latin script)"), max_length=100)
    holder_last_name_latin = models.CharField(_("last name (Latin script)"), max_length=100)
    holder_birth_date = models.DateField(_("date of birth"))
    holder_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    holder_is_minor = models.BooleanField(_("minor when ordered"), default=False)
    act_year = models.PositiveSmallIntegerField(_("year of registration"))
    act_number = models.CharField(_("act number"), max_length=20)
    father_first_name = models.CharField(_("father's first name"), max_length=100)
    mother_first_name = models.CharField(_("mother's first name"), max_length=100)
    orderer_relation = models.CharField(_("you are"), max_length=16, choices=Relation.choices)
    # Delivery by registered post (DOMAIN.md §3).
    recipient_name = models.CharField(_("recipient"), max_length=200)
    address = models.CharField(_("postal address"), max_length=300)
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    country = models.CharField(_("country (ISO code)"), max_length=2, default="MA")
    destination = models.CharField(_("destination"), max_length=8, choices=Destination.choices)
    # The price shown before paying (R3), frozen when the order is placed.
    price_base = models.DecimalField(_("base price"), max_digits=8, decimal_places=2)
    price_per_copy = models.DecimalField(_("price per copy"), max_digits=8, decimal_places=2)
    price_postage = models.DecimalField(_("postage"), max_digits=8, decimal_places=2)
    price_total = models.DecimalField(_("total (MAD)"), max_digits=8, decimal_places=2)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # The office's work.
    rejection_reason = models.CharField(
        _("reason for the rejection"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    post_item_number = models.CharField(_("registered item number"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("document order")
        verbose_name_plural = _("document orders")
        constraints = [
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="documents_order_copies_min_1"),
            models.CheckConstraint(condition=models.Q(price_total__gte=0), name="documents_order_total_not_negative"),
            # R3: a minor's order is placed by a parent.
            models.CheckConstraint(
                condition=models.Q(holder_is_minor=False) | models.Q(orderer_relation="parent"),
                name="documents_order_minor_by_parent",
            ),
        ]
        indexes = [
            # The post's tracking feed finds orders by their registered item number (postfeed.py).
            models.Index(
                fields=["post_item_number"],
                name="documents_order_post_item_idx",
                condition=~models.Q(post_item_number=""),
            ),
        ]

    def __str__(self) -> str:
        return f"document order {self.case_id}"


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the payment")
        CONFIRMED = "confirmed", _("Paid")
        # Confirmed by the gateway for an order already paid through another attempt: the money
        # goes back; the order is not paid twice.
        DUPLICATE = "duplicate", _("Paid twice: to refund")

    order = models.ForeignKey(DocumentOrder, on_delete=models.PROTECT, related_name="payments")
    token = models.CharField(_("payment token"), max_length=64, unique=True, editable=False)
    gateway = models.CharField(_("gateway"), max_length=200)
    amount = models.DecimalField(_("amount (MAD)"), max_digits=8, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    provider_reference = models.CharField(_("reference at the payment provider"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            # At most one payment confirmed per order, whatever the gateway says twice.
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(status="confirmed"), name="documents_one_confirmed_payment"
            )
        ]

    def __str__(self) -> str:
        return f"payment {self.pk} of {self.order_id}"
