// Login page: request a one-time code by CyTube PM, then verify it. Errors come from `detail`.
(function () {
  'use strict';
  var root = document.getElementById('login');
  if (!root) return;
  var requestForm = document.getElementById('login-request');
  var verifyForm = document.getElementById('login-verify');
  var usernameInput = document.getElementById('login-username');
  var codeInput = document.getElementById('login-code');
  var requestError = document.getElementById('login-request-error');
  var verifyError = document.getElementById('login-verify-error');
  var sent = document.getElementById('login-sent');
  var next = root.getAttribute('data-next') || '/catalog';
  // Only same-site paths (the server already checked; this is belt and braces).
  if (next.charAt(0) !== '/' || next.charAt(1) === '/' || next.charAt(1) === '\\') next = '/catalog';

  function show(el, message) {
    el.textContent = message || '';
    el.hidden = !message;
  }
  function describe(res, fallback) {
    var detail = res.data && typeof res.data.detail === 'string' ? res.data.detail : fallback;
    if (res.status === 429 && res.data && res.data.retry_after_sec) {
      detail += ' (try again in ' + res.data.retry_after_sec + ' s)';
    }
    return detail;
  }
  function busy(form, on) {
    Array.prototype.forEach.call(form.querySelectorAll('button'), function (b) {
      b.disabled = on;
    });
  }

  requestForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var username = usernameInput.value.trim();
    if (!username) {
      show(requestError, 'Enter your CyTube username.');
      usernameInput.focus();
      return;
    }
    show(requestError, '');
    busy(requestForm, true);
    window.WQ.api('POST', '/auth/otp/request', { username: username }).then(function (res) {
      busy(requestForm, false);
      if (!res.ok) {
        show(requestError, describe(res, 'Could not send a code.'));
        return;
      }
      sent.textContent =
        'If "' + username + '" is in the channel, a code is on its way by PM. It expires in 5 minutes.';
      verifyForm.hidden = false;
      codeInput.value = '';
      show(verifyError, '');
      codeInput.focus();
    });
  });

  verifyForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var code = codeInput.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) {
      show(verifyError, 'The code is 6 digits.');
      codeInput.focus();
      return;
    }
    show(verifyError, '');
    busy(verifyForm, true);
    window.WQ.api('POST', '/auth/otp/verify', { username: usernameInput.value.trim(), code: code }).then(
      function (res) {
        if (res.ok) {
          window.location.assign(next);
          return;
        }
        busy(verifyForm, false);
        show(verifyError, describe(res, 'Could not verify the code.'));
        codeInput.select();
      },
    );
  });

  document.getElementById('login-back').addEventListener('click', function () {
    verifyForm.hidden = true;
    show(verifyError, '');
    usernameInput.focus();
    usernameInput.select();
  });
})();
