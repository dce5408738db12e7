/// The Python program that trains on Spark, written into the run's private folder and run there as
/// `PYTHON tact_spark_als.py job.json`. It reads the exported Parquet, fits
/// `pyspark.ml.recommendation.ALS` with `implicitPrefs=True`, and writes the user and item factors
/// in the format `SparkFactorsFile` reads. Exit status: 0 done, 3 pyspark (or numpy) missing,
/// 4 Spark did not start, anything else a failure while training (the output says why).
/// The program is Sources/TactEngine/Resources/tact_spark_als.py, compiled in (embedInCode).
enum SparkDriverScript {
    static let fileName = "tact_spark_als.py"

    static let source = String(decoding: PackageResources.tact_spark_als_py, as: UTF8.self)
}
