// The local web chat page: connects Microsoft's Web Chat to the bot's own Direct Line endpoint.
// Page and bot speak one language: picking a language here switches the bot (a hidden Language
// button press), and a language change in the bot (its Language button, a typed "language fr")
// arrives as a config.languageEvent event and switches the page, its direction and Web Chat.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('webchat-config').textContent);
  var status = document.getElementById('status');
  var picker = document.getElementById('language');
  var container = document.getElementById('webchat');
  var current = config.lang;
  var renderOptions = null;
  var store = null;
  // The language the bot last announced; the page and the bot agree when it equals `current`.
  var botLanguage = null;

  function strings(lang) {
    return (config.languages[lang] || config.languages[config.lang]).strings;
  }

  /** Shows the page in `lang`: text, document language and direction, the picker, the address bar and Web Chat. */
  function showLanguage(lang) {
    var page = config.languages[lang];
    if (!page) return;
    current = lang;
    var s = page.strings;
    document.documentElement.lang = lang;
    document.documentElement.dir = page.dir;
    document.title = s.title;
    document.getElementById('heading').textContent = s.heading;
    document.getElementById('intro').textContent = s.intro;
    document.getElementById('language-label').textContent = s.languageLabel;
    container.setAttribute('aria-label', s.chatLabel);
    picker.value = lang;
    // A reload keeps the language (the #token= part of the address is kept as well).
    var url = new URL(window.location.href);
    url.searchParams.set('lang', lang);
    window.history.replaceState(null, '', url.href);
    if (renderOptions) render();
  }

  function render() {
    renderOptions.locale = current;
    // Web Chat sets every card's direction from its own; it knows only region tags like "ar-SA" as right-to-left.
    renderOptions.dir = config.languages[current].dir;
    // New objects, so Web Chat sees the change (it compares options by identity).
    renderOptions.styleOptions = { hideUploadButton: true, bubbleMaxWidth: 600, botAvatarInitials: strings(current).botInitials };
    window.WebChat.renderWebChat(renderOptions, container);
  }

  /** Asks the bot to speak `lang`, as its own Language button does (a postBack is not shown in the transcript). */
  function tellBot(lang) {
    if (!store) return;
    store.dispatch({ type: 'WEB_CHAT/SEND_POST_BACK', payload: { value: { command: 'language', args: { lang: lang } } } });
  }

  picker.addEventListener('change', function () {
    var lang = picker.value;
    // Picked before the bot has spoken: the first announcement then switches the bot, not the page.
    config.explicitLanguage = true;
    showLanguage(lang);
    if (botLanguage !== null && botLanguage !== lang) tellBot(lang);
  });

  /** The bot announced its language for this learner: follow it, unless the learner just picked one on the page. */
  function onBotLanguage(lang) {
    var first = botLanguage === null;
    botLanguage = lang;
    if (lang === current) return;
    // A language picked on the page (?lang=) before the conversation started wins over an older choice in the bot.
    if (first && config.explicitLanguage) tellBot(current);
    else showLanguage(lang);
  }

  // The learner's id stays in this browser, so reloading the page continues the same course.
  function learnerId() {
    var key = 'govai-coach.webchat.userId';
    var id = null;
    try {
      id = window.localStorage.getItem(key);
    } catch (e) {
      // Storage blocked: a new learner per visit.
    }
    if (!id) {
      var bytes = new Uint8Array(12);
      window.crypto.getRandomValues(bytes);
      id = 'wc-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
      try {
        window.localStorage.setItem(key, id);
      } catch (e) {
        // Keep the id for this visit only.
      }
    }
    return id;
  }

  async function token(userId, locale) {
    // An operator can hand out a token issued with DIRECTLINE_SECRET as /#token=...
    var fromLink = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (fromLink) return fromLink;
    if (config.access === 'token') throw new Error(strings(current).tokenRequired);
    var response = await fetch(config.directLine + '/tokens/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId }, locale: locale }),
    });
    if (response.status === 403) throw new Error(strings(current).loopbackOnly);
    if (!response.ok) throw new Error(strings(current).connectFailed);
    return (await response.json()).token;
  }

  async function start() {
    status.textContent = strings(current).connecting;
    var locale = config.explicitLanguage ? config.lang : navigator.language || config.lang;
    var userId = learnerId();
    var directLine = window.WebChat.createDirectLine({
      token: await token(userId, locale),
      domain: new URL(config.directLine, window.location.href).href,
      webSocket: false,
      pollingInterval: 500,
      conversationStartProperties: { locale: locale },
    });
    directLine.connectionStatus$.subscribe(function (s) {
      // 2 = Online, 4 = FailedToConnect, 5 = Ended (botframework-directlinejs ConnectionStatus).
      if (s === 2) status.textContent = '';
      if (s === 4 || s === 5) status.textContent = strings(current).connectFailed;
    });
    store = window.WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          var activity = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload.activity : null;
          if (activity && activity.type === 'event' && activity.name === config.languageEvent && activity.value && config.languages[activity.value.lang]) {
            // After the reducers ran, so a language switch never holds up the transcript.
            var result = next(action);
            onBotLanguage(activity.value.lang);
            return result;
          }
          return next(action);
        };
      };
    });
    renderOptions = {
      directLine: directLine,
      store: store,
      userID: userId,
      sendTypingIndicator: false,
    };
    render();
    var input = document.querySelector('#webchat input[type="text"], #webchat textarea');
    if (input) input.focus();
  }

  start().catch(function (err) {
    status.textContent = err && err.message ? err.message : strings(current).connectFailed;
  });
})();
