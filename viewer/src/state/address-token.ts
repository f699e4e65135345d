// The access token in the URL heat-view prints (?token=) is needed once: the server answers the
// page's own request with a cookie that carries it from then on. It is taken out of the address
// bar as soon as the page starts, so it is left in no history entry, bookmark or copied link.

/** Removes ?token= from the address without reloading; the rest of the URL stays as it was. */
export function forgetAddressToken(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url);
}
