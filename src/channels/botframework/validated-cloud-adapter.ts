import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';

/**
 * CloudAdapter whose activity processing is callable with an activity we have already read
 * and validated, so that HTTP errors are ours (precise codes, no internal messages) rather
 * than CloudAdapter.process()'s, which echoes exception text to the caller.
 */
export class ValidatedCloudAdapter extends CloudAdapter {
  processValidated(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
