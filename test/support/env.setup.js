require('reflect-metadata');
// Every test runs in UTC so that dates print the same everywhere.
process.env.TZ = 'UTC';
process.env.WQ_LOG_LEVEL = process.env.WQ_LOG_LEVEL || 'error';
