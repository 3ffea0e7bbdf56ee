"""The Spark session: the active one (spark-submit's) or a new one, quiet or not."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

from pyspark.sql import SparkSession

__all__ = ["spark_session"]


# Spark's own log lines (WARN about the host name, native Hadoop ...) are not dedup's to
# show: the driver logs errors only, on stderr, in Spark's format.
_LOG4J2 = """\
rootLogger.level = {level}
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{{yy/MM/dd HH:mm:ss}} %p %c{{1}}: %m%n%ex
"""


def spark_session(master: str | None = None, conf: dict[str, str] | None = None,
                  quiet: bool | None = None) -> SparkSession:
    """The active session (spark-submit's), or a new one on ``master``.

    In local mode the Python workers must be this interpreter, or they will not find
    dedup and its dependencies; on a cluster, spark-submit's configuration says which
    Python the executors run (see README).

    ``quiet``: True, nothing on stderr but an error that stops the run (no log lines, no
    stage bars); False, Spark's stage bars when stderr is a terminal, as the local engine's
    bars, and its error lines; None, Spark's own logging and console settings.
    """
    builder = SparkSession.builder.appName("dedup")
    if master:
        builder = builder.master(master)
    # Under spark-submit (which sets PYSPARK_GATEWAY_PORT) without --spark-master, the
    # master is spark-submit's and so is the executors' Python.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if (master or ("yarn" if submitted else "local")).startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    log_config = None
    if quiet is not None:
        bars = not quiet and sys.stderr.isatty()
        builder = builder.config("spark.ui.showConsoleProgress", str(bars).lower())
        log_config = _log_config("off" if quiet else "error")
        # Read when the driver's JVM starts (here, unless one is already running).
        builder = builder.config("spark.driver.extraJavaOptions",
                                 f"-Dlog4j2.configurationFile=file:{log_config}")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        session = _quiet_launch(builder) if quiet else builder.getOrCreate()
    finally:
        if log_config:
            os.unlink(log_config)
    if quiet is not None:  # a JVM already running kept its logging: set its level here
        session.sparkContext.setLogLevel("OFF" if quiet else "ERROR")
    return session


def _log_config(level: str) -> str:
    fd, path = tempfile.mkstemp(prefix="dedup-log4j2-", suffix=".properties")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_LOG4J2.format(level=level))
    return path


def _quiet_launch(builder: Any) -> SparkSession:
    """``getOrCreate`` with the JVM's own start-up lines (the JDK's "Using incubator
    modules", printed before any logging is set up) kept off stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)  # the JVM inherits the descriptor; it keeps it after we restore
        return builder.getOrCreate()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
