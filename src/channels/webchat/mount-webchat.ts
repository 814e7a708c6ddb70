import type { Server } from 'restify';
import type { TurnContext } from 'botbuilder';
import type { AppConfig } from '../../config/config';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import { learnerKey, type LearnerRecord } from '../../core/learner';
import type { StoragePort } from '../../ports/storage';
import type { ValidatedCloudAdapter } from '../botframework/validated-cloud-adapter';
import { accessModeOf } from './directline-access';
import { mountDirectLineEndpoint, WEBCHAT_CHANNEL_ID } from './directline-endpoint';
import { webChatBundlePath, webChatPublicDir } from './static-paths';
import { mountWebChatPage } from './webchat-page';

export interface WebChatOptions {
  config: AppConfig;
  adapter: ValidatedCloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  localizer: Localizer;
  inFlight: { begin(): () => void };
  isReady(): boolean;
  /** Learner records, to read the language a learner chose in the bot. */
  storage: StoragePort;
}

/** The local web chat: the page at GET / and the Direct Line endpoint it talks to. */
export function mountWebChat(server: Server, options: WebChatOptions): void {
  const { config } = options;
  const access = accessModeOf(config.DIRECTLINE_SECRET);
  mountDirectLineEndpoint(server, {
    adapter: options.adapter,
    logic: options.logic,
    botAppId: config.MICROSOFT_APP_ID ?? '',
    logger: options.logger,
    localizer: options.localizer,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    maxBodyBytes: config.MAX_BODY_BYTES,
    access,
    secret: config.DIRECTLINE_SECRET,
    inFlight: options.inFlight,
    isReady: options.isReady,
    learnerLanguage: async (userId) => (await options.storage.read<LearnerRecord>(learnerKey(WEBCHAT_CHANNEL_ID, userId)))?.value.language,
  });
  mountWebChatPage(server, {
    localizer: options.localizer,
    logger: options.logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    access,
    publicDir: webChatPublicDir(),
    webChatBundle: webChatBundlePath(),
  });
}
