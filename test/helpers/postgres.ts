// The throwaway PostgreSQL cluster of the benchmarks, for the tests too.
export { startPostgres, type TestPostgres } from '../../bench/postgresCluster';
