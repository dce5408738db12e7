"""Tact's Spark ALS driver. Written by `tact train --engine spark` into a private folder and removed with it.

Input: a Parquet file of (user int32, item int32, rating float), matrix indices only.
Output: two factor files, each a 128-byte header (JSON, space padded, ending in a newline)
followed by one record per row Spark learned: int32 id, then `rank` float32, all little-endian.
"""
import json
import struct
import sys
import time
from array import array

HEADER_BYTES = 128


def write_factors(frame, rank, path):
    rows = 0
    with open(path, "wb") as out:
        out.write(b" " * HEADER_BYTES)
        for row in frame.toLocalIterator():
            features = array("f", row["features"])
            if len(features) != rank:
                raise SystemExit(f"tact-spark: row {row['id']} has {len(features)} factors, not {rank}")
            if sys.byteorder != "little":
                features.byteswap()
            out.write(struct.pack("<i", row["id"]))
            out.write(features.tobytes())
            rows += 1
        header = json.dumps({"format": "tact-spark-factors", "version": 1, "rank": rank, "rows": rows}).encode()
        if len(header) >= HEADER_BYTES:
            raise SystemExit("tact-spark: the factors header does not fit")
        out.seek(0)
        out.write(header + b" " * (HEADER_BYTES - 1 - len(header)) + b"\n")
    return rows


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    try:
        import numpy  # noqa: F401  (pyspark.ml needs it)
        from pyspark.sql import SparkSession
        from pyspark.ml.recommendation import ALS
    except ImportError as error:
        print(f"tact-spark: {error}", file=sys.stderr)
        sys.exit(3)
    try:
        builder = (SparkSession.builder.master(job["master"]).appName("tact-als")
                   .config("spark.ui.enabled", "false")
                   .config("spark.local.dir", job["scratch"])
                   .config("spark.sql.warehouse.dir", job["scratch"] + "/warehouse"))
        for key, value in job["conf"].items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
    except Exception as error:  # pyspark raises its own types when the JVM does not come up
        print(f"tact-spark: {error}", file=sys.stderr)
        sys.exit(4)
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(job["scratch"] + "/checkpoints")
    ratings = spark.read.parquet(job["input"])
    als = ALS(rank=job["rank"], maxIter=job["iterations"], regParam=job["reg_param"], alpha=job["alpha"],
              implicitPrefs=True, nonnegative=False, seed=job["seed"],
              userCol="user", itemCol="item", ratingCol="rating", checkpointInterval=10)
    started = time.monotonic()
    model = als.fit(ratings)
    # fit is lazy in parts: the factors are materialized here, inside the timed span.
    model.userFactors.cache().count()
    model.itemFactors.cache().count()
    fit_seconds = time.monotonic() - started
    users = write_factors(model.userFactors, job["rank"], job["user_factors"])
    items = write_factors(model.itemFactors, job["rank"], job["item_factors"])
    with open(job["result"], "w") as f:
        json.dump({"fit_seconds": fit_seconds, "users": users, "items": items, "spark_version": spark.version}, f)
    spark.stop()


if __name__ == "__main__":
    main()
