// Every test starts several real silo processes and a PostgreSQL server on a small machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
