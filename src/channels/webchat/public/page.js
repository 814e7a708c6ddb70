// The local web chat page: connects Microsoft's Web Chat to the bot's own Direct Line endpoint.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('webchat-config').textContent);
  var status = document.getElementById('status');
  var picker = document.getElementById('language');

  // Changing the language reloads the page in that language (?lang=xx), keeping a #token= link.
  picker.addEventListener('change', function () {
    var url = new URL(window.location.href);
    url.searchParams.set('lang', picker.value);
    window.location.assign(url.href);
  });

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
    if (config.access === 'token') throw new Error(config.strings.tokenRequired);
    var response = await fetch(config.directLine + '/tokens/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId }, locale: locale }),
    });
    if (response.status === 403) throw new Error(config.strings.loopbackOnly);
    if (!response.ok) throw new Error(config.strings.connectFailed);
    return (await response.json()).token;
  }

  async function start() {
    status.textContent = config.strings.connecting;
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
      if (s === 4 || s === 5) status.textContent = config.strings.connectFailed;
    });
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        userID: userId,
        locale: locale,
        // Web Chat sets every card's direction from its own; it knows only region tags like "ar-SA" as right-to-left.
        dir: /^ar\b/i.test(locale) ? 'rtl' : 'auto',
        sendTypingIndicator: false,
        styleOptions: { hideUploadButton: true, botAvatarInitials: config.strings.botInitials, bubbleMaxWidth: 600 },
      },
      document.getElementById('webchat'),
    );
    var input = document.querySelector('#webchat input[type="text"], #webchat textarea');
    if (input) input.focus();
  }

  start().catch(function (err) {
    status.textContent = err && err.message ? err.message : config.strings.connectFailed;
  });
})();
