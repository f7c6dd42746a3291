from django.contrib import admin

from motcua.people.models import Role

from .models import Article, ArticleImage, Feedback


def _is_reform_staff(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or user.roles.filter(role=Role.REFORM_STAFF).exists())


class ArticleImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 1


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Reform staff write the news."""

    list_display = ["title", "published_at", "view_count", "author"]
    search_fields = ["title", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["view_count"]
    date_hierarchy = "published_at"
    inlines = [ArticleImageInline]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return _is_reform_staff(request)

    def has_view_permission(self, request, obj=None):
        return _is_reform_staff(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "unit", "received_at", "status", "published"]
    list_filter = ["status", "published"]
    search_fields = ["code", "title", "name"]
    readonly_fields = ["code", "received_at"]
