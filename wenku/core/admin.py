from django.contrib import admin

from wenku.core.models import Category, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ("site_name", "icp_number", "default_free_pages", "review_mode")

    def has_add_permission(self, request):  # one row only
        return not SiteSettings.objects.exists()


class ChildInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = ("name", "name_en", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name_en", "slug", "position")
    list_editable = ("position",)
    list_filter = ("parent",)
    search_fields = ("name", "name_en", "slug")
    inlines = [ChildInline]
