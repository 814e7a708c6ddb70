import { CloudAdapter, ConfigurationBotFrameworkAuthentication, DeliveryModes, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { CodedError } from '../../errors/coded-error';

/**
 * CloudAdapter whose activity processing is callable with an activity we have already read
 * and validated, so that HTTP errors are ours (precise codes, no internal messages) rather
 * than CloudAdapter.process()'s, which echoes exception text to the caller.
 */
export class ValidatedCloudAdapter extends CloudAdapter {
  processValidated(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }

  /**
   * Runs a turn that did not come from a Bot Framework channel but from an edge this process
   * authenticates itself (the local Direct Line endpoint), so there is no channel token to
   * check. Only expectReplies is allowed: replies come back in the result and nothing is ever
   * posted to the activity's serviceUrl, with or without the bot's credentials.
   */
  processLocal(botAppId: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    if (activity.deliveryMode !== DeliveryModes.ExpectReplies) throw new CodedError('invariant_violated', 'processLocal needs deliveryMode "expectReplies"');
    // The bot's own app id: the adapter's credential factories refuse claims for any other.
    const claimsIdentity = this.createClaimsIdentity(botAppId);
    const connectorFactory = new ConfigurationBotFrameworkAuthentication({}).createConnectorFactory(claimsIdentity);
    return this.processActivity({ audience: '', claimsIdentity, connectorFactory }, activity, logic);
  }
}
