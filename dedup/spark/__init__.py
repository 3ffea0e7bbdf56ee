"""The stages of the Spark engine, one module per concept; ``dedup.spark_engine`` strings
them together and is the entry point (``run``, ``to_analysis``, ``write_parquet``)."""
