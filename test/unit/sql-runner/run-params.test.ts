import { renderRunParams, type ModelParams } from '../../../src/sql-runner/run-params';

describe('renderRunParams', () => {
  const params: ModelParams = {
    runId: 42,
    asOf: new Date('2025-06-01T12:00:00Z'),
    windowStart: new Date('2025-03-03T12:00:00Z'),
    windowEnd: new Date('2025-08-30T12:00:00.5Z'),
  };

  it('should write each parameter as a typed literal, spaces inside the braces or not', () => {
    const sql = 'select {{ run_id }} as r, {{as_of}} as a, {{  window_start }} as s, {{ window_end}} as e';
    expect(renderRunParams(sql, params)).toBe(
      "select 42::integer as r, '2025-06-01T12:00:00.000Z'::timestamptz as a, "
      + "'2025-03-03T12:00:00.000Z'::timestamptz as s, '2025-08-30T12:00:00.500Z'::timestamptz as e");
  });

  it('should refuse a placeholder it does not know, naming it', () => {
    expect(() => renderRunParams('select {{ as_off }}', params)).toThrow('unknown run parameter {{ as_off }} (known: run_id, as_of, window_start, window_end)');
  });

  it('should refuse parameters that could not be written safely', () => {
    expect(() => renderRunParams('select 1', { ...params, runId: 1.5 })).toThrow('runId must be a positive integer, got 1.5');
    expect(() => renderRunParams('select 1', { ...params, asOf: new Date('nope') })).toThrow('asOf must be a valid Date');
  });

  it('should leave SQL without placeholders as it is', () => {
    expect(renderRunParams("select '{ not a placeholder }'", params)).toBe("select '{ not a placeholder }'");
  });
});
