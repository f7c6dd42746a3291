from motcua.core.uploads import check_upload  # noqa: F401  (moved: core.uploads)
