"""Build of the compiled core (dedup/_core.pyx); everything else is in pyproject.toml.

The extension is optional: where it cannot be built (no compiler, no Cython), dedup installs
and runs on its pure-Python reference, with a one-line warning (dedup/_accel.py)."""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # no Cython (a build without isolation): the pure-Python path
    ext_modules = []
else:
    ext_modules = cythonize(
        [Extension("dedup._core", ["dedup/_core.pyx"], depends=["dedup/_kernels.h"],
                   include_dirs=["dedup"], optional=True,
                   extra_compile_args=["-O3"])],
        compiler_directives={"language_level": "3"},
    )

setup(ext_modules=ext_modules)
