def test_home(rehearsal):
    r = rehearsal.visitor().get("/")
    print(r.status, r.headers)
    assert r.status == 200
