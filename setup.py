"""Only what pyproject.toml cannot say: the top-level ``assets/`` folder (the project's fixed layout) is installed as
``dashboard/assets`` of the wheel. Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["etl*", "warehouse*", "dashboard*", "semaforo*"]), "dashboard.assets"],
    package_dir={"dashboard.assets": "assets"},
)
