import { loadConfig, ConfigError } from '../../src/config/config';
import { REPO_ROOT } from '../support/app-harness';

describe('cohort settings', () => {
  it('reads FACILITATORS as a list of ids and e-mails, case-insensitively', () => {
    expect(loadConfig({ FACILITATORS: 'aad-Fay, Fay@Gov.example;U123' }, REPO_ROOT).FACILITATORS).toEqual(['aad-fay', 'fay@gov.example', 'u123']);
    expect(loadConfig({}, REPO_ROOT).FACILITATORS).toEqual([]);
  });

  it('never lets score averages come from fewer than 3 learners', () => {
    expect(loadConfig({}, REPO_ROOT).COHORT_MIN_AGGREGATE).toBe(5);
    expect(() => loadConfig({ COHORT_MIN_AGGREGATE: '2' }, REPO_ROOT)).toThrow(ConfigError);
  });

  it('checks the experts channel names its channel', () => {
    expect(loadConfig({ EXPERTS_CHANNEL: 'slack:C123' }, REPO_ROOT).EXPERTS_CHANNEL).toBe('slack:C123');
    expect(() => loadConfig({ EXPERTS_CHANNEL: 'C123' }, REPO_ROOT)).toThrow(/EXPERTS_CHANNEL must be "msteams:<channel conversation id>" or "slack:<channel id>"/);
  });
});
