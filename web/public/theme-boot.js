// Paints the chosen theme before anything else: the account's theme, remembered on this device (parley-theme), or the
// device's own scheme. Loaded in <head> without async so the first paint already has it; src/lib/preferences.ts
// keeps the remembered value in step with the account and calls window.__parleyApplyTheme after a change.
;(function () {
  var root = document.documentElement
  var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null
  function chosen() {
    try {
      return localStorage.getItem('parley-theme')
    } catch (e) {
      return null // storage blocked: the device's scheme
    }
  }
  function apply() {
    var theme = chosen()
    var dark = theme === 'Dark' || (theme !== 'Light' && !!media && media.matches)
    root.classList.toggle('dark', dark)
    root.style.colorScheme = dark ? 'dark' : 'light'
    var metas = document.querySelectorAll('meta[name="theme-color"]')
    for (var i = 0; i < metas.length; i++) {
      metas[i].removeAttribute('media')
      metas[i].setAttribute('content', dark ? '#0b0f19' : '#ffffff')
    }
  }
  apply()
  if (media && media.addEventListener) media.addEventListener('change', apply)
  window.__parleyApplyTheme = apply
})()
