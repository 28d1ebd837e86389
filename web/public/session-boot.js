// Restores the session while the app's scripts are still downloading: the page's first request for data waits on
// it, so it should not wait on them. The same exchange as sessionStore.refresh (src/lib/session.ts), under the same
// Web Lock (tabs take turns: a refresh token used twice ends the session); the app adopts the result once.
;(function () {
  if (/^\/(login|register)$/.test(location.pathname) || window.__parleySessionTaken) return
  function exchange() {
    return fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' }).then(function (response) {
      return response.status === 200 ? response.json() : null
    })
  }
  window.__parleySession = navigator.locks ? navigator.locks.request('parley-refresh', exchange) : exchange()
  window.__parleySession.catch(function () {}) // offline: the app tries again itself
})()
