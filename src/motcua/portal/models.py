"""What the public portal keeps: citizens' drafts of online applications, reform news, feedback
(PAKN) and the visitor counters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """An online application being written by a citizen; on submission it becomes a dossier."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, verbose_name=_("procedure"))
    receiving_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("submit to")
    )
    applicant_name = models.CharField(_("full name"), max_length=255, blank=True)
    applicant_id = models.CharField(_("personal identification number"), max_length=30, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    address_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune of residence"),
    )
    note = models.TextField(_("note to the desk"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.procedure.code} · {self.applicant_name or self.user}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("catalog.Component", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="applications/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "component__order", "id"]

    def __str__(self) -> str:
        return self.original_name


class Article(models.Model):
    """A reform news article (tin cải cách hành chính)."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=120, unique=True, allow_unicode=False)
    lead = models.TextField(_("lead"), max_length=1000)
    body = models.TextField(_("body"), help_text=_("Plain text; a blank line starts a new paragraph."))
    image = models.ImageField(_("main image"), upload_to="news/%Y/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("publish date"), null=True, blank=True, help_text=_("Empty: a draft."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False)
    view_count = models.PositiveBigIntegerField(_("views"), default=0, editable=False)

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["published_at"], name="article_published_idx")]

    def __str__(self) -> str:
        return self.title


class ArticleImage(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="news/%Y/")
    caption = models.CharField(_("caption"), max_length=300, help_text=_("Also read aloud to blind readers."))

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["article", "id"]

    def __str__(self) -> str:
        return self.caption


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("Received")
    ANSWERED = "answered", _("Answered")


class Feedback(models.Model):
    """Feedback or a petition (phản ánh, kiến nghị) about administrative rules or their handling."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="feedback", verbose_name=_("responsible unit")
    )
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True)
    name = models.CharField(_("full name"), max_length=255)
    contact = models.CharField(_("phone or e-mail"), max_length=254)
    address = models.CharField(_("address"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), max_length=5000)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(_("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["unit", "status", "received_at"], name="feedback_unit_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class VisitDay(models.Model):
    """Visits to the portal per day, added to in batches (never one write per page view)."""

    day = models.DateField(unique=True)
    visits = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.visits}"


class OnlineVisitor(models.Model):
    """A visit seen in the last minutes, by a random token that names no one."""

    token = models.CharField(max_length=32, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.token
