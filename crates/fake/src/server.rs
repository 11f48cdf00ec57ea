//! The HTTP side of the fake: a hyper HTTP/1 server on 127.0.0.1 (random port), on its own
//! thread with its own current-thread tokio runtime, so that blocking tests and async tests (on
//! any runtime) can use it alike.
//!
//! Dropping a connection really closes the TCP connection without an HTTP answer: the
//! connection's future is dropped (which drops the socket) while the request's service future
//! never completes.

use crate::state::{Incoming, Outcome, State};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming as Body};
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use tokio::sync::{Notify, oneshot};

/// The running server: its address, and how to stop it.
#[derive(Debug)]
pub(crate) struct Server {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(state: Arc<Mutex<State>>) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        let (shutdown, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(format!("ldic-fake-{}", addr.port()))
            .spawn(move || runtime.block_on(serve(listener, state, stopped)))?;
        Ok(Server {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: TcpListener,
    state: Arc<Mutex<State>>,
    mut stopped: oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(connection(stream, state.clone()));
                }
            }
        }
    }
}

/// Serves one TCP connection until the client closes it or a fault drops it.
async fn connection(stream: tokio::net::TcpStream, state: Arc<Mutex<State>>) {
    let drop_it = Arc::new(Notify::new());
    let service = {
        let drop_it = drop_it.clone();
        hyper::service::service_fn(move |request| answer(request, state.clone(), drop_it.clone()))
    };
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        () = drop_it.notified() => {} // the connection (and its socket) is dropped here
    }
}

async fn answer(
    request: Request<Body>,
    state: Arc<Mutex<State>>,
    drop_it: Arc<Notify>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let authorization = header("authorization");
    let api_version = header("ld-api-version");
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            drop_it.notify_one();
            return std::future::pending().await;
        }
    };
    let incoming = Incoming {
        method,
        path,
        authorization,
        api_version,
        body,
    };
    let outcome = state
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .handle(&incoming);
    match outcome {
        Outcome::Drop => {
            drop_it.notify_one();
            std::future::pending().await
        }
        Outcome::Respond {
            status,
            retry_after,
            body,
        } => Ok(response(status, retry_after, body)),
    }
}

fn response(
    status: u16,
    retry_after: Option<u64>,
    body: Option<serde_json::Value>,
) -> Response<Full<Bytes>> {
    let bytes = body.map(|b| b.to_string()).unwrap_or_default();
    let has_body = !bytes.is_empty();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if has_body {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}
